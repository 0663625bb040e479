// p2psip-sim: runs scenario files on the simulator (filled in below).
print("p2psip-sim")
