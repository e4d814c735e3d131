# tests/cli: tests (see tests/local.mk)
