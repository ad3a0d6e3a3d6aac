from django.urls import path

from safeguard.documents import views

urlpatterns = [
    path("orders/<int:order_id>/", views.order_documents, name="order-documents"),
    path("orders/<int:order_id>/new/", views.new_document, name="document-new"),
    path("<int:pk>/", views.document_detail, name="document-detail"),
    path("<int:pk>/download.<str:fmt>", views.download, name="document-download"),
    path("calendar/", views.calendar_settings, name="calendar-settings"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]
