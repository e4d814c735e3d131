# tests/catalogue: malformed and hostile inputs through the real xl-static
TESTS += %D%/catalogue.sh
EXTRA_DIST += %D%/catalogue.sh %D%/cases %D%/cfg
CLEAN_DIRS += %D%/work
