from time import
