"""How passwords are stored: Argon2id at the minimum OWASP's Password Storage Cheat Sheet
recommends (19 MiB of memory, 2 passes, 1 lane).

Django's own Argon2 hasher is Argon2id too, but with 100 MiB and 8 lanes: on a server of two
cores signing in a city on voting day, each sign-in would cost several times the CPU and memory
that the recommendation needs. A hash stored with other parameters (Django's, or PBKDF2 from
before) is checked as it was stored and stored again with these at the next sign-in.
See "Passwords and sign-in" in the README.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2idHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
