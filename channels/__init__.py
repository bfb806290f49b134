"""Messenger and Zalo OA channels: tenancy, ingest, send clients, delivery, token refresh.

The webhooks (webhooks/facebook.py, webhooks/zalo.py, served by webhooks/ingress.py in front of
Flask) only verify, parse and hand events to `channels.ingest`; everything else happens in worker
jobs (`channels.worker`).
"""
