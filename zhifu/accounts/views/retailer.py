"""The retailer's phone pages: the portal home."""

from django.shortcuts import render

from zhifu.core.masking import mask_phone

from ..choices import Role, band_of
from ..policies import role_required


@role_required(Role.RETAILER)
def retailer_home(request):
    retailer = request.user.retailer
    return render(request, "retailer/home.html", {
        "retailer": retailer,
        "phone": mask_phone(retailer.phone),
        "band": band_of(retailer.grade),
    })
