"""Raw business history a retailer's profile and segment are computed from."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderRecord(models.Model):
    """One order a retailer placed with the company (cigarettes and non-tobacco goods)."""

    retailer = models.ForeignKey("accounts.Retailer", verbose_name=_("retailer"),
                                 on_delete=models.CASCADE, related_name="orders")
    ordered_on = models.DateField(_("order date"), db_index=True)
    cigarette_amount = models.DecimalField(_("cigarette amount (CNY)"), max_digits=12,
                                           decimal_places=2, validators=[MinValueValidator(0)])
    cigarette_skus = models.PositiveIntegerField(_("cigarette SKUs"), default=0)
    non_tobacco_amount = models.DecimalField(_("non-tobacco amount (CNY)"), max_digits=12,
                                             decimal_places=2, default=0,
                                             validators=[MinValueValidator(0)])
    non_tobacco_skus = models.PositiveIntegerField(_("non-tobacco SKUs"), default=0)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-ordered_on"]
        constraints = [
            models.UniqueConstraint(fields=["retailer", "ordered_on"],
                                    name="one_order_per_retailer_day"),
        ]

    def __str__(self) -> str:
        return f"{self.retailer_id} {self.ordered_on}"
