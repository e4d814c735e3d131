# docs: the man pages (POD, like Xen's own), the docs and the examples,
# installed under $(docdir)
man_MANS = %D%/man/xl-static.1 %D%/man/xl-static.cfg.5
CLEANFILES += $(man_MANS)
POD2MAN_FLAGS = --center="Xen" --release="xl-static $(VERSION)"

%D%/man/xl-static.1: %D%/man/xl-static.1.pod
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)$(POD2MAN) $(POD2MAN_FLAGS) --section=1 \
		--name=XL-STATIC $(srcdir)/%D%/man/xl-static.1.pod $@

%D%/man/xl-static.cfg.5: %D%/man/xl-static.cfg.5.pod
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)$(POD2MAN) $(POD2MAN_FLAGS) --section=5 \
		--name=XL-STATIC.CFG $(srcdir)/%D%/man/xl-static.cfg.5.pod $@

# README.md links to docs/NAME.md: the same layout under $(docdir).
dist_doc_DATA = README.md
xlsdocsdir = $(docdir)/docs
dist_xlsdocs_DATA = \
	%D%/commands.md \
	%D%/design.md \
	%D%/diagnostics.md \
	%D%/driver-domain.md \
	%D%/dtgen.md \
	%D%/e2e.md \
	%D%/hypervisor.md \
	%D%/imagebuilder.md \
	%D%/lifecycle.md \
	%D%/passthrough.md \
	%D%/placement.md \
	%D%/registry.md \
	%D%/reliability.md \
	%D%/xl-create.md

exampledir = $(docdir)/examples
dist_example_DATA = \
	examples/host.dts \
	examples/chunked.cfg \
	examples/netdrv.cfg \
	examples/rambase.cfg \
	examples/twobank.cfg
examplebaddir = $(docdir)/examples/bad
dist_examplebad_DATA = \
	examples/bad/bad-chunk.cfg \
	examples/bad/in-optee.cfg \
	examples/bad/on-domU1.cfg \
	examples/bad/on-netdrv.cfg \
	examples/bad/wrong-sizes.cfg
