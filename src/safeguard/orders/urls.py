from django.urls import path

from safeguard.orders import views

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("orders/", views.order_list, name="order-list"),
    path("orders/<int:pk>/", views.order_detail, name="order-detail"),
    path("orders/<int:pk>/advocates/", views.order_advocates, name="order-advocates"),
    path(
        "orders/<int:pk>/advocates/remove/",
        views.order_advocate_remove,
        name="order-advocate-remove",
    ),
]
