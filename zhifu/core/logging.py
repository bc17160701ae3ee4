"""A logging filter that masks phone and ID numbers in every record."""

import logging

from .masking import mask_text


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not drop the line
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg = masked
            record.args = ()
        return True
