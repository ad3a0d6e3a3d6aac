from django.db import migrations

from safeguard.access import audit_sql


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]

    operations = [
        migrations.RunSQL(
            audit_sql.CREATE_TABLE + audit_sql.CHAIN_FUNCTION + audit_sql.ROW_FUNCTION,
            reverse_sql=migrations.RunSQL.noop,  # an audit trail is never dropped by a rollback
        ),
    ]
