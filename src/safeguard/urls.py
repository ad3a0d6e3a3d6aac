from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Safeguard administration"
admin.site.site_title = "Safeguard"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("safeguard.access.urls")),
    path("", include("safeguard.orders.urls")),
    path("screening/", include("safeguard.screening.urls")),
    path("oversight/", include("safeguard.oversight.urls")),
]
