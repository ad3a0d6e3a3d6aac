"""The order pages, one module per journey (orders/urls.py routes to them):

- pages.py: home (by role), the list, one order, linking victim advocates, search;
- application.py: the coordinator's work queue, the application builder, legal review, hearing;
- lifecycle.py: an order's life after it is made (service, notifications, breaches, variation,
  renewal, discharge, appeals);
- notices.py: police notices (DVPN, DAPN) and the order that follows them;
- changes.py: the one flow every form that changes an order follows, and its page.
"""
