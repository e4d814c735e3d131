# xl-static: the command front end
bin_PROGRAMS += xl-static
xl_static_SOURCES = \
	%D%/xl_static.h \
	%D%/xl_static.c \
	%D%/cmdtable.c \
	%D%/cli_common.c \
	%D%/cli_json.c \
	%D%/cli_memlist.c \
	%D%/cli_map.c \
	%D%/cmd_check.c \
	%D%/cmd_plan.c \
	%D%/cmd_memlist.c \
	%D%/cli_live.c \
	%D%/cmd_dtgen.c \
	%D%/cli_registry.c \
	%D%/cmd_release.c \
	%D%/cmd_create.c \
	%D%/cli_imagebuilder.c \
	%D%/cmd_import.c \
	%D%/cmd_export.c
xl_static_CFLAGS = $(AM_CFLAGS) $(XLUTIL_CFLAGS) $(YAJL_CFLAGS)
xl_static_LDADD = $(DTG_LIBS)

# Bash completion, generated from the command and option tables above.
bashcomp_DATA = %D%/completion/xl-static
CLEANFILES += %D%/completion/xl-static
XLS_COMPLETION_IN = \
	%D%/completion/gen-completion.sh \
	%D%/completion/xl-static.bash.in
EXTRA_DIST += $(XLS_COMPLETION_IN)
%D%/completion/xl-static: $(XLS_COMPLETION_IN) %D%/cmdtable.c %D%/xl_static.h \
		$(filter %D%/cmd_%.c,$(xl_static_SOURCES))
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)$(SHELL) $(srcdir)/%D%/completion/gen-completion.sh \
		$(srcdir)/%D% >$@.tmp && mv $@.tmp $@

# The glue of the Xen tools series (hypervisor-hooks/apply.sh copies it
# into Xen's tree; it is built there, not here).
EXTRA_DIST += %D%/xl_glue
