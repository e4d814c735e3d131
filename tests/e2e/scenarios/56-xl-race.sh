# Two xl create started at once for the same host extent: exactly one
# domain is created (the hypervisor's claim decides), and the other
# leaves nothing behind.
. /e2e/lib.sh

a=$(e2e_guest_cfg sr6a 'static_mem = ["0x70000000:128M"]')
b=$(e2e_guest_cfg sr6b 'static_mem = ["0x70000000:128M"]')

xl create -p "$a" >/tmp/sr6a.out 2>&1 &
pa=$!
xl create -p "$b" >/tmp/sr6b.out 2>&1 &
pb=$!
wait $pa
ra=$?
wait $pb
rb=$?
sed "s/^/[race.a] /" /tmp/sr6a.out
sed "s/^/[race.b] /" /tmp/sr6b.out

up=0
for d in sr6a sr6b; do
    xl domid $d >/dev/null 2>&1 && up=$((up + 1))
done
owners=$(xl static-mem-list 2>/dev/null |
         awk '$4 == "owned" && ($6 == "sr6a" || $6 == "sr6b")' | wc -l)
if [ $up -eq 1 ] && [ $((ra + rb)) -ne 0 ] && [ $ra -eq 0 -o $rb -eq 0 ] &&
   [ "$owners" -eq 1 ]; then
    e2e_pass race.one-domain "exits $ra/$rb, one owner"
else
    e2e_fail race.one-domain "$up domains up, exits $ra/$rb, $owners owned lines"
fi
xl destroy sr6a 2>/dev/null
xl destroy sr6b 2>/dev/null
e2e_release sr6a sr6b
