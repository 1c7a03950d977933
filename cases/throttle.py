"""Fixed-window attempt counters in the cache, for lookups by tracking code."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    value = request.META.get(settings.MIZ_CLIENT_IP_HEADER) or request.META.get("REMOTE_ADDR", "")
    return value.split(",")[0].strip()


def _key(scope: str, identity: str) -> str:
    # Hashed: the cache never holds an address or a code in the clear.
    return "throttle:" + scope + ":" + hashlib.sha256(f"{settings.SECRET_KEY}:{identity}".encode()).hexdigest()[:32]


def allow(scope: str, identity: str, limit: int, window: int | None = None) -> bool:
    """Count one attempt; False once `limit` attempts were made within the window."""
    window = window or settings.MIZ_LOOKUP_WINDOW_SECONDS
    key = _key(scope, identity)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit
