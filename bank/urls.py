from django.urls import path

from . import views as v

# The namespace keeps the name it had inside matching, so every {% url %} stays as it was.
app_name = "matching_bank"

HR = "hr/bank/<int:round_pk>/"
MANAGE = "manage/bank/<int:round_pk>/"

urlpatterns = [
    # HR contacts: people of their own organisations
    path(HR, v.HRBankHomeView.as_view(), name="hr_bank_home"),
    path(f"{HR}new/", v.HRRegisterView.as_view(), name="hr_bank_register"),
    path(f"{HR}adepts/<int:adept_pk>/", v.HRSuggestionsView.as_view(), name="hr_bank_suggestions"),
    path(f"{HR}adepts/<int:adept_pk>/choose/", v.HRChooseView.as_view(), name="hr_bank_choose"),
    path(f"{HR}pairs/<int:pk>/", v.HRDoneView.as_view(), name="hr_bank_done"),
    path(f"{HR}mentors/", v.HRMentorsView.as_view(), name="hr_bank_mentors"),
    path(f"{HR}mentors/<int:pk>/places/", v.HRPlacesView.as_view(), name="hr_bank_places"),
    # Coordinators: every organisation
    path(MANAGE, v.ManageBankHomeView.as_view(), name="manage_bank_home"),
    path(f"{MANAGE}new/", v.ManageRegisterView.as_view(), name="manage_bank_register"),
    path(
        f"{MANAGE}adepts/<int:adept_pk>/",
        v.ManageSuggestionsView.as_view(),
        name="manage_bank_suggestions",
    ),
    path(
        f"{MANAGE}adepts/<int:adept_pk>/choose/",
        v.ManageChooseView.as_view(),
        name="manage_bank_choose",
    ),
    path(f"{MANAGE}pairs/<int:pk>/", v.ManageDoneView.as_view(), name="manage_bank_done"),
    path(f"{MANAGE}mentors/", v.ManageMentorsView.as_view(), name="manage_bank_mentors"),
    path(
        f"{MANAGE}mentors/<int:pk>/places/",
        v.ManagePlacesView.as_view(),
        name="manage_bank_places",
    ),
    path(f"{MANAGE}intake/", v.IntakeView.as_view(), name="manage_bank_intake"),
    # The mentor: their own place in the bank (pause, leave, come back; the yearly question)
    path("my/bank/", v.AvailabilityView.as_view(), name="availability"),
]
