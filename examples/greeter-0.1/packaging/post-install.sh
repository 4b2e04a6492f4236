echo "greeter: run 'modprobe greeter' and read /dev/greeter to be greeted."
