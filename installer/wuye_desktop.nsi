; Windows installer for 物业纠纷调解台账 (NSIS 3, Unicode).
; Per-user: no administrator rights; program in %LOCALAPPDATA%\Programs\WuyeDesktop,
; the register stays in %LOCALAPPDATA%\WuyeDesktop and survives uninstalling.
;   makensis /DVERSION=0.1.0 /DSOURCE_DIR=..\dist\wuye-desktop installer\wuye_desktop.nsi
Unicode true
!include "MUI2.nsh"

!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef SOURCE_DIR
  !define SOURCE_DIR "..\dist\wuye-desktop"
!endif
!ifndef OUT_FILE
  !define OUT_FILE "..\dist\wuye-desktop-${VERSION}-setup.exe"
!endif
!define APP_NAME "物业纠纷调解台账"
!define APP_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\WuyeDesktop"

Name "${APP_NAME}"
OutFile "${OUT_FILE}"
InstallDir "$LOCALAPPDATA\Programs\WuyeDesktop"
InstallDirRegKey HKCU "Software\WuyeDesktop" "InstallDir"
RequestExecutionLevel user
SetCompressor /SOLID lzma
BrandingText "${APP_NAME} ${VERSION}"

!define MUI_ICON "..\resources\app-icon.ico"
!define MUI_UNICON "..\resources\app-icon.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\wuye-desktop.exe"
!define MUI_FINISHPAGE_RUN_TEXT "立即启动${APP_NAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileDescription" "${APP_NAME} 安装程序"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "LegalCopyright" "${APP_NAME}"

Section "程序文件" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  File /r "${SOURCE_DIR}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateDirectory "$SMPROGRAMS\${APP_NAME}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk" "$INSTDIR\wuye-desktop.exe"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\卸载${APP_NAME}.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\wuye-desktop.exe"
  WriteRegStr HKCU "Software\WuyeDesktop" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${APP_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${APP_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${APP_KEY}" "DisplayIcon" "$INSTDIR\wuye-desktop.exe"
  WriteRegStr HKCU "${APP_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKCU "${APP_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${APP_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  ; Only the program goes; the register, backups and attachments are the room's records.
  Delete "$DESKTOP\${APP_NAME}.lnk"
  RMDir /r "$SMPROGRAMS\${APP_NAME}"
  RMDir /r "$INSTDIR"
  DeleteRegKey HKCU "${APP_KEY}"
  DeleteRegKey HKCU "Software\WuyeDesktop"
  MessageBox MB_OK|MB_ICONINFORMATION "程序已卸载。$\r$\n$\r$\n台账数据（案件、备份和附件）仍保留在：$\r$\n$LOCALAPPDATA\WuyeDesktop$\r$\n如确实不再需要，请先备份后再手动删除该文件夹。"
SectionEnd
