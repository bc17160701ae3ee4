"""The request id travels with the Celery tasks a request sends.

On publish the current id goes into the task message's headers; in the worker it is set
again for the task's run, so the worker's log lines of that task carry the id of the
request that asked for it (and tasks sent by that task carry it on). Tasks nobody's
request sent (beat, the sweepers) log "-".
"""

from __future__ import annotations

from celery.signals import before_task_publish, task_postrun, task_prerun

from .logging import NO_REQUEST, SAFE_REQUEST_ID, request_id_var

HEADER = "request_id"
_tokens: dict[str, object] = {}


def carry_request_id(headers=None, **_kwargs) -> None:
    request_id = request_id_var.get()
    if headers is not None and request_id != NO_REQUEST:
        headers.setdefault(HEADER, request_id)


def adopt_request_id(task_id=None, task=None, **_kwargs) -> None:
    request = getattr(task, "request", None)
    request_id = getattr(request, HEADER, None) or (getattr(request, "headers", None)
                                                    or {}).get(HEADER)
    # A message is input too: only a safe token becomes the id of the log lines.
    if isinstance(request_id, str) and SAFE_REQUEST_ID.fullmatch(request_id) and task_id:
        _tokens[task_id] = request_id_var.set(request_id)


def drop_request_id(task_id=None, **_kwargs) -> None:
    token = _tokens.pop(task_id, None)
    if token is not None:
        request_id_var.reset(token)


def connect() -> None:
    before_task_publish.connect(carry_request_id, weak=False,
                                dispatch_uid="zhifu.carry_request_id")
    task_prerun.connect(adopt_request_id, weak=False, dispatch_uid="zhifu.adopt_request_id")
    task_postrun.connect(drop_request_id, weak=False, dispatch_uid="zhifu.drop_request_id")
