# tests/e2e: tests (see tests/local.mk)
