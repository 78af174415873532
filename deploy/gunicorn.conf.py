"""gunicorn settings for `make serve` (issue 12 point 8; README "Production").

Every value can be overridden from the environment (GUNICORN_*), or on the command line."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# The usual (2 x cores) + 1 synchronous workers, each with a few threads for the polling
# of progress bars; long work is in the background worker, not here.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"
# A request that takes more than 60 s is killed: what is longer belongs in a job.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after about 2,000 requests (jitter so they do not all restart).
max_requests = 2000
max_requests_jitter = 200
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The client's address, not the user's numbers: paths may carry record ids only.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# No control socket in $HOME: several instances (make serve, bench/load_http.py) may run.
control_socket_disable = True
