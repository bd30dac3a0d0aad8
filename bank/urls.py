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
]
