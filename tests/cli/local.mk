# tests/cli: golden tests of the xl-static command line
TESTS += %D%/cli.sh
check_DATA += %D%/fixtures/host.dtb %D%/fixtures/host-conflict.dtb
CLEANFILES += %D%/fixtures/host.dtb %D%/fixtures/host-conflict.dtb
CLEAN_DIRS += %D%/work
# ImageBuilder configs: import, check --boot, dtgen host, export, round trips
TESTS += %D%/imagebuilder.sh
XLS_IB_DTBS = %D%/fixtures/ib/virt.dtb %D%/fixtures/ib/virt-heap.dtb \
	%D%/fixtures/ib/zynqmp.dtb
check_DATA += $(XLS_IB_DTBS)
CLEANFILES += $(XLS_IB_DTBS)
CLEAN_DIRS += %D%/ib-work
%D%/fixtures/ib/virt-heap.dtb: %D%/fixtures/ib/virt.dts

# The SVG of --map parses and has one range per row of the text map.
TESTS += %D%/map-svg.sh
CLEAN_DIRS += %D%/map-work
EXTRA_DIST += %D%/cli.sh %D%/map-svg.sh %D%/imagebuilder.sh %D%/lib.sh %D%/result.sh %D%/update-golden.sh %D%/cases \
	%D%/fixtures %D%/golden


# The bash completion follows the command and option tables.
TESTS += %D%/completion.sh
EXTRA_DIST += %D%/completion.sh
CLEAN_DIRS += %D%/completion-work
check_DATA += tools/xl-cmds/completion/xl-static
