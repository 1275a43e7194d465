print("they're bill's friends".title(), "hello-world foo_bar".title(), "ß".upper())
