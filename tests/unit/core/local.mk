# tests/unit/core: tests (see tests/local.mk)
