# dtgen: guest and dom0less host device trees (issue: dtgen)
noinst_LIBRARIES += libdtgen.a
libdtgen_a_SOURCES = \
	%D%/dtgen.h \
	%D%/dtg_internal.h \
	%D%/util.c \
	%D%/guest.c \
	%D%/host.c \
	%D%/passthrough.c
libdtgen_a_CFLAGS = $(AM_CFLAGS)

# What a program linking libdtgen.a needs (libdtgen.a uses libxlstatic).
DTG_LIBS = libdtgen.a $(LXS_LIBS)
