print("p2psip")
