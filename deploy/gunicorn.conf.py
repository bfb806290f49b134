"""gunicorn settings of the production web process (scripts/serve, deploy/bot-web.service).

    gunicorn -c deploy/gunicorn.conf.py 'app:create_production_app()'

Environment: BIND (127.0.0.1:8000), WEB_WORKERS (2), WEB_THREADS (8). gthread workers: the webhook
answers in about a millisecond, the web chat and admin in tens; threads keep slow clients from
holding a process. No access log: request paths include /go/<token> links (personal data); the
app logs what matters, in JSON, with the request id.
"""
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "8"))
timeout = 30  # a request stuck longer is killed; stores time out in seconds (REDIS_SOCKET_TIMEOUT, connect_timeout)
graceful_timeout = 20
keepalive = 30
backlog = 2048
accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "infra.logs.RedactingJsonFormatter"}},
    "filters": {"ids": {"()": "infra.logs.ContextFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["ids"],
                             "stream": "ext://sys.stderr"}},
    "loggers": {"gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}


def child_exit(server, worker) -> None:
    """A worker process ended: its live values leave the multiprocess metrics."""
    from infra.metrics import process_gone

    process_gone(worker.pid)
