"""Database sessions that know their user, so that signing out or closing an account can end
every session of that user at once with one indexed delete (docs/security.md, Sessions).

Django's documented way to extend the database session engine (AbstractBaseSession), kept in its
own small app so that its table, written on every request, stays out of the audit trail.
"""
