"""Outreach: campaigns and life-event reminders to residents who agreed, sent through channels/.

Below admin/ and webhooks/ (it never imports them), above channels/ (whose send clients, token
refresh, backoff and dead letters every campaign message goes through)."""
