"""Django's own messages that our forms show, in the words of this product.

Our translation catalogue comes before Django's, so naming a Django message here (where
``makemessages`` finds it) lets ``locale/zh_Hans`` say it better: Django's stock Chinese for
a too-long text reads "确保该变量包含不超过 1000 字符", a programmer's phrase a retailer should
never meet."""

from django.utils.translation import gettext_noop, ngettext_lazy

TOO_LONG = ngettext_lazy(
    "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
    "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
    "limit_value")
TOO_SHORT = ngettext_lazy(
    "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
    "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
    "limit_value")

# The admin's list of models names its columns for screen readers; Django ships no Chinese
# for these.
ADMIN_COLUMNS = (gettext_noop("Model name"), gettext_noop("Add link"),
                 gettext_noop("Change or view list link"))
