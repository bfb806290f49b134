"""Messenger and Zalo OA channels: tenancy, ingest, send clients, delivery, token refresh.

The webhook blueprints (webhooks/facebook.py, webhooks/zalo.py) only parse, verify and hand
events to `channels.ingest`; everything else happens in worker jobs (`channels.worker`).
"""
