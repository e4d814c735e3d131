# tests/unit/glue: the xl/libxl glue (tools/xl-cmds/xl_glue/) compiled
# against a stand-in of the patched libxl.h, with the objects the patched
# xl links (cfg, cfgkeys, cli_memlist, cli_json): its spec of every cfg
# fixture must be cfg.c's (test_glue.c says what is real and what stands
# in).
check_PROGRAMS += %D%/test-glue
TESTS += %D%/test-glue.sh
EXTRA_DIST += %D%/test-glue.sh %D%/standin/libxl.h %D%/standin/libxl_utils.h
%C%_test_glue_SOURCES = \
	%D%/test_glue.c \
	%D%/xl_keys.h \
	tools/xl-cmds/xl_glue/xlsg.h \
	tools/xl-cmds/xl_glue/xlsg_xl.c \
	tools/xl-cmds/xl_glue/xlsg_libxl.c \
	tools/xl-cmds/cli_memlist.c \
	tools/xl-cmds/cli_json.c
# The stand-in first: the glue includes <libxl.h>.
%C%_test_glue_CPPFLAGS = -I$(srcdir)/%D%/standin -I$(srcdir)/tools/xl-cmds \
	-I$(srcdir)/tools/xl-cmds/xl_glue -I$(srcdir)/tools/libxl-static \
	-I$(srcdir)/tools/dtgen
%C%_test_glue_CFLAGS = $(AM_CFLAGS) $(YAJL_CFLAGS) $(XENCALL_CFLAGS)
%C%_test_glue_LDADD = %D%/libxlkeys.a libdtgen.a $(LXS_LIBS)
# xl's keys through the real libxl.h and libxlutil.h.
noinst_LIBRARIES += %D%/libxlkeys.a
%C%_libxlkeys_a_SOURCES = %D%/xl_keys.c %D%/xl_keys.h
%C%_libxlkeys_a_CFLAGS = $(AM_CFLAGS) $(XLUTIL_CFLAGS)
