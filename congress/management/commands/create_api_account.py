"""Create an API account for an office system and print its first token.

    manage.py create_api_account --username api-datong --role township_officer --region 350212001

The key alone goes to standard output (so a script can capture it); it is shown once and only
its digest is stored. Role and scope are checked by the `role_grant` service, as in the console.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from congress import services
from congress.models import Region, Unit
from congress.models.accounts import Role


class Command(BaseCommand):
    help = "Create an API account with one role in a region or unit, and print its token (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--role", required=True, help="One of: " + ", ".join(Role.values))
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--region", metavar="CODE", help="Region code, e.g. 350212001")
        scope.add_argument("--unit", metavar="ID", type=int, help="Unit id")
        parser.add_argument("--full-name", default="", help="The office or system, shown in the console")
        parser.add_argument("--token-name", default="create_api_account")

    def handle(self, *args, username, role, region, unit, full_name, token_name, **options):
        if get_user_model().objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} already exists; choose another username.")
        if role not in Role.values:
            raise CommandError(f"Unknown role {role!r}; choose one of: {', '.join(Role.values)}.")
        region_obj = unit_obj = None
        if region is not None:
            region_obj = Region.objects.filter(code=region).first()
            if region_obj is None:
                raise CommandError(f"No region with code {region!r}.")
        if unit is not None:
            unit_obj = Unit.objects.filter(pk=unit).first()
            if unit_obj is None:
                raise CommandError(f"No unit with id {unit}.")
        try:
            account, _password, token, key = services.api_account_create(
                actor=None,
                username=username,
                full_name=full_name,
                role=role,
                region=region_obj,
                unit=unit_obj,
                token_name=token_name,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        scope = region_obj or unit_obj or "-"
        self.stderr.write(
            f"Created API account {account.username} ({role}, {scope}); token {token.prefix}… is shown once:"
        )
        self.stdout.write(key)
