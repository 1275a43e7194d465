print("1st place".title(), "hello 2nd WORLD".capitalize(), "o'neil mc-donald".title())
