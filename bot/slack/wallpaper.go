package slack

import "frontdesk/bot"

// wallVerbs are the thread commands of wallpaper cases ("wall_stock: 12",
// "wall_trial: same_problem" …, cases/wallpaper.go).
var wallVerbs = []string{bot.ActWallStock, bot.ActWallTrial, bot.ActWallPlan, bot.ActWallReturn, bot.ActWallTracking,
	bot.ActWallReceived, bot.ActWallResponsibility, bot.ActWallReturnOK, bot.ActWallRollCheck}
