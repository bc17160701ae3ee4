"""Where a notification goes besides the in-app centre: pluggable senders.

The registry needs no settings: ``LogSender`` is registered by default and writes a
masked line to the log. SMS and WeChat senders are classes to configure later with
a gateway callable (``SmsSender(gateway=...)``) and ``register_sender`` at start-up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from zhifu.core.masking import mask_text

logger = logging.getLogger("zhifu.notifications")


class Sender(Protocol):
    name: str

    def send(self, notification) -> None: ...


class LogSender:
    name = "log"

    def send(self, notification) -> None:
        logger.info("notify user=%s kind=%s title=%s", notification.recipient_id,
                    notification.kind, mask_text(notification.title))


class _GatewaySender:
    """Hands the recipient's phone (or open id) and the text to a gateway callable."""

    name = "gateway"

    def __init__(self, gateway: Callable[[str, str], None] | None = None) -> None:
        self.gateway = gateway

    def address(self, notification) -> str:
        return getattr(notification.recipient, "phone", "") or ""

    def send(self, notification) -> None:
        address = self.address(notification)
        if self.gateway is None or not address:
            logger.info("%s sender not configured; skipped notification %s", self.name,
                        notification.pk)
            return
        self.gateway(address, f"{notification.title}\n{notification.body}".strip())


class SmsSender(_GatewaySender):
    name = "sms"


class WeChatSender(_GatewaySender):
    name = "wechat"

    def address(self, notification) -> str:
        return getattr(notification.recipient, "wechat_openid", "") or ""


_registry: list[Sender] = [LogSender()]


def register_sender(sender: Sender) -> None:
    if all(existing.name != sender.name for existing in _registry):
        _registry.append(sender)


def unregister_sender(name: str) -> None:
    _registry[:] = [sender for sender in _registry if sender.name != name]


def registered_senders() -> list[Sender]:
    return list(_registry)
