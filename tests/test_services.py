"""bot/services.py: the handlers reach the services without importing bot/app.py."""

from __future__ import annotations

import subprocess
import sys

from bot.config import PROJECT_ROOT


def test_no_handler_module_imports_the_app_factory() -> None:
    script = (
        "import pkgutil, importlib, sys, handlers\n"
        "for module in pkgutil.iter_modules(handlers.__path__):\n"
        "    importlib.import_module('handlers.' + module.name)\n"
        "print('bot.app' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "False"
