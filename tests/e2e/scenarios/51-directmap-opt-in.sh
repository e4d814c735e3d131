# The RAM-only direct-map domain creation flag
# (XEN_DOMCTL_CDF_static_directmap) is accepted only when Xen was booted
# with "static-extent-directmap".  The main boot has the opt-in; the
# second boot (host-noopt.dtb, this scenario alone) has not.
. /e2e/lib.sh

cmdline=$(xl info | sed -n 's/^xen_commandline *: //p')
echo "[optin] xen_commandline: $cmdline"
out=$(hvtool directmap-create 2>&1)
rc=$?
echo "[optin] hvtool directmap-create: $out (exit $rc)"
case " $cmdline " in
*" static-extent-directmap "*)
    case $out in
    "OK "*) e2e_pass hv.directmap-with-opt-in "$out" ;;
    *) e2e_fail hv.directmap-with-opt-in "'$out' (exit $rc)" ;;
    esac ;;
*)
    case $out in
    *"ERR EPERM "*) e2e_pass hv.refuse-directmap-without-opt-in "$out" ;;
    *) e2e_fail hv.refuse-directmap-without-opt-in "'$out' (exit $rc), not EPERM" ;;
    esac ;;
esac
