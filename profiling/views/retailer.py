"""The retailer's own profile on the phone: radar, strengths and weaknesses in plain words."""

from django.shortcuts import render

from zhifu.accounts.choices import Role
from zhifu.accounts.policies import role_required

from .. import selectors


@role_required(Role.RETAILER)
def my_profile(request):
    retailer = request.user.retailer
    profile = selectors.profile_detail(retailer=retailer)
    return render(request, "profiling/retailer/profile.html", {
        "retailer": retailer, "profile": profile,
        "strengths": [d for d in profile["dimensions"] if d["verdict"] == "strength"],
        "weaknesses": [d for d in profile["dimensions"] if d["verdict"] == "weakness"],
    })
