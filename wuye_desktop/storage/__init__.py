"""Where the register lives: paths, the engine, migrations, integrity checks."""
