import { useMemo, useState } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { BrowserRouter } from 'react-router';
import { LangContext, loadLang, saveLang, type Lang, type LangValue } from './i18n';
import { AuthProvider } from './auth';
import AppRoutes from './AppRoutes';

export default function Root() {
  const [lang, setLangState] = useState<Lang>(loadLang);
  const value = useMemo<LangValue>(
    () => ({
      lang,
      setLang: (l) => {
        saveLang(l);
        setLangState(l);
      },
      t: (zh, en) => (lang === 'en' ? en : zh),
    }),
    [lang],
  );
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  if (typeof document !== 'undefined') document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';

  return (
    <LangContext.Provider value={value}>
      <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#c8102e', borderRadius: 4 } }}>
        <AntApp>
          <AuthProvider>
            <BrowserRouter>
              <AppRoutes />
            </BrowserRouter>
          </AuthProvider>
        </AntApp>
      </ConfigProvider>
    </LangContext.Provider>
  );
}
