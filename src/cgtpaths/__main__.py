from cgtpaths.launch import main

main()
