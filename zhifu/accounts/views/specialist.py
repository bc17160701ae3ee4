"""The specialist's web page: who they are and where their mobile API lives."""

from django.shortcuts import render

from zhifu.core.masking import mask_phone

from ..choices import Role
from ..policies import role_required


@role_required(Role.SPECIALIST)
def specialist_home(request):
    specialist = request.user.specialist
    return render(request, "specialist/home.html", {
        "specialist": specialist,
        "phone": mask_phone(request.user.phone),
        "skills": specialist.skill_levels.select_related("skill"),
        "districts": specialist.districts.all(),
    })
