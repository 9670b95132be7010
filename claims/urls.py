from django.urls import path, re_path

from claims import photo_views, views
from claims.wizard import ClaimWizard

app_name = "claims"

wizard = ClaimWizard.as_view(url_name="claims:step", done_step_name="done")
photo_size = r"(?P<size>thumb|full)"

urlpatterns = [
    path("", wizard, name="start"),
    # Secret links first: "c" and "r" are never step names.
    path("r/<str:token>/", views.result, name="result"),
    path("r/<str:token>/customer-link/", views.customer_link_action, name="customer_link_action"),
    path("r/<str:token>/reply/", views.reply_check, name="reply_check"),
    re_path(
        rf"^r/(?P<token>[\w-]+)/photos/(?P<photo_id>[0-9a-f-]{{32,36}})/{photo_size}\.jpg$",
        photo_views.result_photo,
        name="result_photo",
    ),
    path("staff/<int:claim_id>/reply-check/", views.staff_reply_check, name="staff_reply_check"),
    path("c/<str:token>/", views.customer, name="customer"),
    path("c/<str:token>/my-report.zip", views.customer_copy, name="customer_copy"),
    path("c/<str:token>/erase/", views.customer_erasure, name="customer_erasure"),
    path("privacy/", views.privacy, name="privacy"),
    re_path(
        rf"^c/(?P<token>[\w-]+)/photos/(?P<photo_id>[0-9a-f-]{{32,36}})/{photo_size}\.jpg$",
        photo_views.customer_photo,
        name="customer_photo",
    ),
    re_path(
        rf"^photos/(?P<photo_id>[0-9a-f-]{{32,36}})/{photo_size}\.jpg$",
        photo_views.staff_photo,
        name="staff_photo",
    ),
    re_path(
        rf"^draft-photos/(?P<photo_id>[0-9a-f]{{32}})/{photo_size}\.jpg$",
        photo_views.draft_photo,
        name="draft_photo",
    ),
    path("<slug:step>/", wizard, name="step"),
]
