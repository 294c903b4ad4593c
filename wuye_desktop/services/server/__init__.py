"""The shared PostgreSQL server: where it is, its password, whether it answers, moving a register onto it.

The calls of ``connection`` are named here (``server.test_connection``, ``save_connection``, ``saved_url``).
Public module: ``migration`` (a single-PC register copied onto the server, verified per table).
"""

from wuye_desktop.services.server.connection import (
    CONNECT_TIMEOUT_S,
    DEFAULT_PORT,
    KEYRING_SERVICE,
    PINYIN_COLLATION,
    PROFILE_FILE,
    ConnectionProfile,
    ServerInfo,
    check_url,
    clean_profile,
    connection_settings,
    forget_profile,
    has_pinyin_collation,
    keyring_available,
    keyring_password,
    load_profile,
    name_order,
    save_connection,
    save_profile,
    saved_url,
    test_connection,
    use_local_register,
)

__all__ = [
    "CONNECT_TIMEOUT_S",
    "DEFAULT_PORT",
    "KEYRING_SERVICE",
    "PINYIN_COLLATION",
    "PROFILE_FILE",
    "ConnectionProfile",
    "ServerInfo",
    "check_url",
    "clean_profile",
    "connection_settings",
    "forget_profile",
    "has_pinyin_collation",
    "keyring_available",
    "keyring_password",
    "load_profile",
    "name_order",
    "save_connection",
    "save_profile",
    "saved_url",
    "test_connection",
    "use_local_register",
]
