# libxlstatic: the core library
noinst_LIBRARIES += libxlstatic.a
libxlstatic_a_SOURCES = \
	%D%/libxlstatic.h \
	%D%/lxs_internal.h \
	%D%/alloc.c \
	%D%/file.c \
	%D%/size.c \
	%D%/range.c \
	%D%/diag.c \
	%D%/hostmap.c \
	%D%/spec.c \
	%D%/cfg.c \
	%D%/cfgkeys.c \
	%D%/validate.c \
	%D%/plan.c \
	%D%/layout.c \
	%D%/check_i.h \
	%D%/registry_i.h \
	%D%/registry.c \
	%D%/registry_json.c \
	%D%/registry_file.c \
	%D%/lxs_hv.h \
	%D%/hv.c
libxlstatic_a_CFLAGS = $(AM_CFLAGS) $(XLUTIL_CFLAGS) $(YAJL_CFLAGS) \
	$(XENCALL_CFLAGS)

# What a program linking libxlstatic.a needs.
LXS_LIBS = libxlstatic.a $(XLUTIL_LIBS) $(YAJL_LIBS) $(FDT_LIBS) \
	$(XENCALL_LIBS)
