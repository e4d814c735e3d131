# xl-static: the command front end
