# Guest script (run by the guest's /init with e2e.run=hello): proves the
# mechanism scenarios use to run code inside a guest.
echo "E2E-GUEST $E2E_NAME HELLO $(uname -m)"
