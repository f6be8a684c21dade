from django.db import migrations


def copy_emails(apps, schema_editor):
    """The e-mails of the portal's first outbox move here with their delivery state."""
    Email = apps.get_model("ogp_portal", "Email")
    Message = apps.get_model("outbox", "Message")
    Message.objects.bulk_create(
        Message(
            key=email.key,
            recipient_id=email.recipient_id,
            address=email.recipient.email,
            language=email.recipient.language,
            subject=email.subject,
            body=email.body,
            status=email.status,
            due_at=email.due_at,
            attempts=email.attempts,
            sent_at=email.sent_at,
            last_error=email.last_error,
        )
        for email in Email.objects.select_related("recipient").iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_initial"),
        ("ogp_portal", "0002_email"),
    ]

    operations = [migrations.RunPython(copy_emails, migrations.RunPython.noop)]
