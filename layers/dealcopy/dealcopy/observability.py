"""Powertools singletons shared by every handler (one Logger, one Metrics).

Tracer is left out on purpose: it imports the X-Ray SDK even when disabled and
costs ~0.8 s of cold start; X-Ray tracing is switched on in the template instead.
"""

from aws_lambda_powertools import Logger, Metrics

logger = Logger(service="dealcopy")
metrics = Metrics(namespace="AmoDealCopy", service="dealcopy")
