# tests/unit/check: tests (see tests/local.mk)
