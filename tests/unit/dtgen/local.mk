# tests/unit/dtgen: tests (see tests/local.mk)
