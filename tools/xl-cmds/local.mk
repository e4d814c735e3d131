# xl-static: the command front end
bin_PROGRAMS += xl-static
xl_static_SOURCES = \
	%D%/xl_static.h \
	%D%/xl_static.c \
	%D%/cmdtable.c \
	%D%/xls_common.c \
	%D%/xls_json.c \
	%D%/xls_memlist.c \
	%D%/cmd_check.c \
	%D%/cmd_plan.c \
	%D%/cmd_memlist.c \
	%D%/xls_live.c \
	%D%/cmd_dtgen.c \
	%D%/xls_registry.c \
	%D%/cmd_release.c \
	%D%/cmd_create.c
xl_static_CFLAGS = $(AM_CFLAGS) $(XLUTIL_CFLAGS) $(YAJL_CFLAGS)
xl_static_LDADD = $(DTG_LIBS)
